-- The journal finds a payment by its card's last four digits through this
-- index, in the journal's order, rather than by reading every row. The
-- masked number never changes once written, so the index costs an insert
-- and nothing on the updates of a payment.
CREATE INDEX transactions_last_four ON transactions (substr(card_masked, -4), created_at, number);
