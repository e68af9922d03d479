// Placeholder labels: the upper-case word in `[LABEL_N]`.

/** A custom rule's name as a label: ASCII letters only, upper case (client_list → CLIENTLIST). */
export function labelFromName(name: string): string {
  const label = name.toUpperCase().replace(/[^A-Z]/g, "");
  return label === "" ? "CUSTOM" : label;
}
