,
    sum(CASE WHEN {answered} THEN __wi * __wi END) AS "sww__{index}",
    sum(CASE WHEN {counted} THEN __wi * __wi END) AS "swwy__{index}"
