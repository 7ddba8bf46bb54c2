"""QualityLoop contracts: the only code services share (with the thin `runtime` kit)."""
