,
    sum(CAST(__w AS HUGEINT) * __w) FILTER (WHERE {answered}) AS "sww__{index}",
    sum(CAST(__w AS HUGEINT) * __w) FILTER (WHERE {counted}) AS "swwy__{index}"
