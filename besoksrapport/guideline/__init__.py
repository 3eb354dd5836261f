"""The guideline's rules over a politician's year: visits and their count, flags for the
secretary, recounts, the arvode basis, the follow-up and the declarations kept from the public."""
