-- A keyed hash of every respondent_id of one file: HMAC-SHA256 of the id as UTF-8 text under
-- the validation's secret key, truncated to its first 128 bits as two unsigned 64-bit halves.
-- Equal ids give equal hashes within one validation, so the duplicate check across files (a
-- repeated hash, then the exact query of repeated_id_count.sql) needs these and never the ids;
-- without the key they can be neither reversed by hashing candidate ids nor matched with another
-- validation's. HMAC(K, m) = H((K xor opad) || H((K xor ipad) || m)) with K padded to 64 bytes:
-- $inner_pad and $outer_pad are those two padded keys (id_key.py), bound, never in this text.
-- sha256() gives hex text: unhex() turns the inner digest back into its 32 bytes.
WITH macs AS (
    SELECT sha256($outer_pad || unhex(sha256($inner_pad || encode(CAST({respondent_id} AS VARCHAR))))) AS mac
    FROM read_parquet($files)
    WHERE {respondent_id} IS NOT NULL
)
SELECT
    CAST('0x' || substr(mac, 1, 16) AS UBIGINT) AS high,
    CAST('0x' || substr(mac, 17, 16) AS UBIGINT) AS low
FROM macs
