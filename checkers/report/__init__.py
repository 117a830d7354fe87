"""Reports: text and full (with the source), JSON and JSON lines, SARIF, GitHub, GitLab,
JUnit and pylint output, fingerprints and baselines, and the rule documentation."""
