"""Alert rules, pure: what a batch adds to the counters, and which alerts the totals raise."""
