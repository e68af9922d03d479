// The models a playground can call: what GET /v1/models lists for the admin key (aliases first).
import { useData } from "../use-data.js";

export function useModelIds(): string[] {
  const { data } = useData<{ data: { id: string; owned_by: string }[] }>("/v1/models");
  return data?.data.map((m) => m.id) ?? [];
}
