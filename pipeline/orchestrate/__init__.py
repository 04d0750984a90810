"""The publish plan (ordered steps with their retry policy and trace marks), the local
runner and retry."""
