-- Credentials of every protocol in one table, looked up by protocol and
-- key; their data is the protocol's own JSON, which its front reads. The
-- Paybox columns of shops move there.
CREATE TABLE credentials (
	protocol TEXT NOT NULL,
	key      TEXT NOT NULL,
	shop_id  TEXT NOT NULL,
	data     TEXT NOT NULL,
	PRIMARY KEY (protocol, key)
);
CREATE INDEX credentials_shop ON credentials (shop_id, protocol);

INSERT INTO credentials (protocol, key, shop_id, data)
SELECT 'paybox', paybox_site || '/' || paybox_rang, id, json_object(
		'site', paybox_site, 'rang', paybox_rang,
		'identifiants', json(CASE WHEN coalesce(paybox_identifiant, '') = '' THEN '[]'
			ELSE '["' || replace(paybox_identifiant, ',', '","') || '"]' END),
		'cle', coalesce(paybox_key, ''), 'hmac_key', coalesce(paybox_hmac_key, ''),
		'hmac_only', json(CASE WHEN paybox_hmac_only THEN 'true' ELSE 'false' END))
	FROM shops WHERE paybox_site IS NOT NULL;

DROP INDEX shops_paybox;
ALTER TABLE shops DROP COLUMN paybox_site;
ALTER TABLE shops DROP COLUMN paybox_rang;
ALTER TABLE shops DROP COLUMN paybox_identifiant;
ALTER TABLE shops DROP COLUMN paybox_key;
ALTER TABLE shops DROP COLUMN paybox_hmac_key;
ALTER TABLE shops DROP COLUMN paybox_hmac_only;
