"""What happens in the domain: each service owns its transaction."""
