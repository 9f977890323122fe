-- The sample rows of Google's getting-started guide. One DML statement per `;`.
INSERT INTO Singers (SingerId, FirstName, LastName) VALUES
  (1, 'Marc', 'Richards'),
  (2, 'Catalina', 'Smith'),
  (3, 'Alice', 'Trentor'),
  (4, 'Lea', 'Martin'),
  (5, 'David', 'Lomond');
