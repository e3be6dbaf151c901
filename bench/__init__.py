"""Load instruments: `make bench` (benchmark and growth) and `make soak` (load and faults)."""
