-- The journal finds a payment by its card's last four digits through this
-- index, in the journal's order, rather than by reading every row. The
-- masked number never changes once written, so the index costs an insert
-- and nothing on the updates of a payment.
CREATE INDEX transactions_last_four ON transactions (substr(card_masked, -4), created_at, number);

-- The journal finds the payments in a KWIXO state through this index: it
-- holds only transactions under a review, few among the cards' payments,
-- and changes only when their state does. The journal's condition says
-- review <> '' so that SQLite may use it.
CREATE INDEX transactions_review_newest ON transactions (review, created_at, number) WHERE review <> '';
