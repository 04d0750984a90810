-- The partial sums rolled up the population tree (a parent is the union of its leaves) and
-- summed per PSU first, so that a PSU split over leaves or partitions counts once; then per
-- cell x stratum: the sums the linearised variance needs. All sums are exact (integers).
-- Tables: partials (long partial sums), ancestry (leaf, population_id).
WITH psu_cells AS (
    SELECT
        a.population_id, p.breakdown_id, p.breakdown_value, p.indicator_id, p.stratum, p.psu,
        sum(p.n) AS n, sum(p.ny) AS ny, sum(p.sw) AS sw, sum(p.swy) AS swy,
        sum(p.sww) AS sww, sum(p.swwy) AS swwy
    FROM partials AS p
    JOIN ancestry AS a ON a.leaf = p.population_id
    GROUP BY ALL
)
SELECT
    population_id, breakdown_id, breakdown_value, indicator_id, stratum,
    CAST(sum(n) AS BIGINT) AS n,
    CAST(sum(ny) AS BIGINT) AS ny,
    CAST(count(*) FILTER (WHERE n > 0) AS BIGINT) AS psus_with_members,
    CAST(sum(sw) AS HUGEINT) AS b,
    CAST(sum(swy) AS HUGEINT) AS a,
    CAST(sum(CAST(swy AS HUGEINT) * CAST(swy AS HUGEINT)) AS HUGEINT) AS aa,
    CAST(sum(CAST(swy AS HUGEINT) * CAST(sw AS HUGEINT)) AS HUGEINT) AS ab,
    CAST(sum(CAST(sw AS HUGEINT) * CAST(sw AS HUGEINT)) AS HUGEINT) AS bb,
    CAST(sum(sww) AS HUGEINT) AS sww,
    CAST(sum(swwy) AS HUGEINT) AS swwy
FROM psu_cells
GROUP BY ALL
ORDER BY population_id, breakdown_id, breakdown_value, indicator_id, stratum NULLS FIRST
