-- A notification may say why it comes (a retry, an operator's resend) in a
-- body of its own, and its protocol may count other HTTP statuses than
-- 2xx as received.
ALTER TABLE deliveries ADD COLUMN retry_body BLOB;
ALTER TABLE deliveries ADD COLUMN resend_body BLOB;
ALTER TABLE deliveries ADD COLUMN success_codes TEXT NOT NULL DEFAULT '';
