"""`mockhub demo`: a demo organization, generated street images, and simulated labelers and reviewers."""
