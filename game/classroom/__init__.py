"""The teachers' loop: assignments, submissions, verification and the class report.

Everything stays in files the teacher holds: no accounts, no server.
"""
