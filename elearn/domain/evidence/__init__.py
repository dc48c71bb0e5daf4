"""Evidence: exports, certificates, refreshers, the audit log, quiz analysis, the board and the briefing."""
