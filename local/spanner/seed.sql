-- The sample rows of Google's getting-started guide, with made-up e-mail addresses (example.com,
-- RFC 2606) for the masking tests. One DML statement per `;`.
INSERT INTO Singers (SingerId, FirstName, LastName, Email) VALUES
  (1, 'Marc', 'Richards', 'marc.richards@example.com'),
  (2, 'Catalina', 'Smith', 'catalina.smith@example.com'),
  (3, 'Alice', 'Trentor', 'alice.trentor@example.com'),
  (4, 'Lea', 'Martin', 'lea.martin@example.com'),
  (5, 'David', 'Lomond', NULL);
