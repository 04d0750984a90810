"""The publish plan (ordered steps with their retry policy and trace marks, the input
fingerprint first), the one loop that runs it (in-process here, or with an executor the Prefect
flow supplies), and retry."""
