,
    sum(CASE WHEN {answered} THEN 1 ELSE 0 END) AS "n__{index}",
    sum(CASE WHEN {counted} THEN 1 ELSE 0 END) AS "ny__{index}",
    sum(CASE WHEN {answered} THEN __w ELSE 0 END) AS "sw__{index}",
    sum(CASE WHEN {counted} THEN __w ELSE 0 END) AS "swy__{index}"
