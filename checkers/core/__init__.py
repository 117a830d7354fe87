"""The core: what every language and host shares. Findings and diagnostics, source
decoding, the rule base and registry, options and configuration, the file walk, noqa.
It imports nothing else of oomlint."""
