/**
 * The `add` of a list query's WHERE: pushes `value` as the next positional parameter and the clause
 * with its `?` replaced by that parameter's `$n`. Values never go into the SQL text.
 */
export function sqlFilter(params: unknown[], where: string[]): (sql: string, value: unknown) => void {
  return (sql, value) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
}
