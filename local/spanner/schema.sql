-- Google's sample schema (https://cloud.google.com/spanner/docs/getting-started/nodejs),
-- reduced to what DESIGN.md's offline seed promises, plus an Email column that the gateway
-- masks for callers who are not admins. One DDL statement per `;`.
CREATE TABLE Singers (
  SingerId  INT64 NOT NULL,
  FirstName STRING(1024),
  LastName  STRING(1024),
  Email     STRING(1024),
) PRIMARY KEY (SingerId);
