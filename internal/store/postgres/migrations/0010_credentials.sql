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
SELECT 'paybox', paybox_site || '/' || paybox_rang, id, json_build_object(
		'site', paybox_site, 'rang', paybox_rang,
		'identifiants', to_json(coalesce(string_to_array(nullif(paybox_identifiant, ''), ','), '{}'::text[])),
		'cle', coalesce(paybox_key, ''), 'hmac_key', coalesce(paybox_hmac_key, ''),
		'hmac_only', paybox_hmac_only)::text
	FROM shops WHERE paybox_site IS NOT NULL;

DROP INDEX shops_paybox;
ALTER TABLE shops DROP COLUMN paybox_site, DROP COLUMN paybox_rang, DROP COLUMN paybox_identifiant,
	DROP COLUMN paybox_key, DROP COLUMN paybox_hmac_key, DROP COLUMN paybox_hmac_only;
