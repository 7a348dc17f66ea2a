"""Operations on a whole installation: backup and restore, stored files no row refers to."""
