,
    sum(CASE WHEN {answered} THEN __ww ELSE 0 END) AS "sww__{index}",
    sum(CASE WHEN {counted} THEN __ww ELSE 0 END) AS "swwy__{index}"
