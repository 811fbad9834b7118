"""Profile-photo checks: reading photos safely, faces, forensics, metadata, reuse."""
