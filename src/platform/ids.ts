const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs come from strangers; anything that is not a UUID can only be "not found". */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
