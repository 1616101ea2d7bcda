"""Analysis of a composed brief: check, diff, proof."""
