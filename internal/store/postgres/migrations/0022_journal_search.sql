-- The journal finds a payment by its card's last four digits through this
-- index, in the journal's order, rather than by reading every row. The
-- masked number never changes once written, so the index costs an insert
-- and leaves the updates of a payment HOT.
CREATE INDEX transactions_last_four ON transactions (right(card_masked, 4), created_at DESC NULLS LAST, number DESC);

-- The journal finds the payments in a KWIXO state through this index: it
-- holds only transactions under a review, few among the cards' payments,
-- and changes only when their state does, so that the card payments'
-- updates stay HOT. The journal's condition says review <> '' so that the
-- planner may use it whatever the parameter.
CREATE INDEX transactions_review_newest ON transactions (review, created_at DESC NULLS LAST, number DESC) WHERE review <> '';
