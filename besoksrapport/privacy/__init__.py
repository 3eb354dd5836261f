"""Personal data in the free texts: finding it, and the public copy the secretary approves."""
