"""Monitoring rules, pure: spike sensitivity and the alerts' keys and payloads (issue 17)."""
