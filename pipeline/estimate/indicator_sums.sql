,
    sum(({answered})::DOUBLE) AS "n__{index}",
    sum(({counted})::DOUBLE) AS "ny__{index}",
    sum(__w * ({answered})::DOUBLE) AS "sw__{index}",
    sum(__w * ({counted})::DOUBLE) AS "swy__{index}"
