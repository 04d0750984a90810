"""The files beside the data, behind one generator protocol: views.sql, the landing page and
DCAT (and the release README, which the store writes itself)."""
