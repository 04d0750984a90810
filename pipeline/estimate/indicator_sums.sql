,
    count(*) FILTER (WHERE {answered}) AS "n__{index}",
    count(*) FILTER (WHERE {counted}) AS "ny__{index}",
    sum(__w) FILTER (WHERE {answered}) AS "sw__{index}",
    sum(__w) FILTER (WHERE {counted}) AS "swy__{index}"
