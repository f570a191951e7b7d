"""Demo data: the seed's teams and rosters, and months of activity that match the story."""
