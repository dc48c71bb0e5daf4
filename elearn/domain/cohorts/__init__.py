"""Cohorts: courses on a date, invitations and join codes, the schedule, readiness, reminders and the course day."""
