"""Learning: reading the course, drawing and grading quizzes, gating, progress and completion."""
