"""The scheduler process: jobs are plain functions; schedules are rebuilt from the database."""
