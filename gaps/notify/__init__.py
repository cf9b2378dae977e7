"""Daily e-mail digests: what is due for each person, nothing they may not see."""
