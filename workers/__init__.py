"""RQ jobs and their schedules. Jobs take ids, are safe to run twice, and fail loudly."""
