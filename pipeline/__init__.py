"""werkdata's library: the pipeline steps from raw files to a published data package.

No module here imports Prefect.
"""

__version__ = "0.1.0"
