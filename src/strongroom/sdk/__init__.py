"""What every engine and auth method may import: requests, responses, storage, errors, clock, framework."""
