"""Reports: text, JSON, SARIF and GitHub output, and the rule documentation."""
