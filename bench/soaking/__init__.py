"""bench/soak.py's parts: the throwaway cluster, the load, the faults, the writes."""
