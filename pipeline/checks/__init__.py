"""Validation of the raw inputs: frictionless on the files, then the rules a Table Schema
cannot say, each problem with a hint."""
