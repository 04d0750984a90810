,
    sum(({answered})::DOUBLE + ({counted})::DOUBLE * $count_shift) AS "nn__{index}",
    sum(__w * ({answered})::DOUBLE) AS "sw__{index}",
    sum(__w * ({counted})::DOUBLE) AS "swy__{index}"
