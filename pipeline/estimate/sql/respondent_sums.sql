,
    sum(CASE WHEN {answered} THEN CAST(__w AS HUGEINT) * CAST(__w AS HUGEINT) END) AS "sww__{index}",
    sum(CASE WHEN {counted} THEN CAST(__w AS HUGEINT) * CAST(__w AS HUGEINT) END) AS "swwy__{index}"
