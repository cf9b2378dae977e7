"""Domain rules, tested without the application."""
