// Routing: which team's queue a case belongs to, from its topic, language, required skills and escalation tier.
// A pure decision over the workspace's teams, so it is table-tested and gives the same answer on ingest, on
// escalation and in the benchmark.

export interface RoutableTeam {
  id: string;
  name: string;
  topics: string[];
  languages: string[];
  skills: string[];
  tier: number;
}

export interface RoutingNeeds {
  topic: string | null;
  language: string | null;
  skills: string[];
  tier: number;
}

export interface RoutingDecision {
  teamId: string;
  teamName: string;
}

/** Skills a case needs from whoever works it. */
export function requiredSkillsOf(facts: { vulnerable: boolean }): string[] {
  return facts.vulnerable ? ['vulnerable-customers'] : [];
}

function fits(team: RoutableTeam, needs: RoutingNeeds, withSkills: boolean): number | null {
  if (team.tier !== needs.tier) return null;
  let score = 0;
  if (team.topics.length > 0) {
    if (!needs.topic || !team.topics.includes(needs.topic)) return null;
    score += 4;
  }
  if (team.languages.length > 0) {
    if (!needs.language || !team.languages.includes(needs.language)) return null;
    score += 2;
  }
  if (withSkills) {
    if (!needs.skills.every((s) => team.skills.includes(s))) return null;
    score += needs.skills.length;
  }
  // Keep skilled teams free for the cases that need their skills.
  score -= 0.5 * team.skills.filter((s) => !needs.skills.includes(s)).length;
  return score;
}

/**
 * The most specific team of the case's tier that covers its topic, language and skills (a team with no topics or
 * languages takes any). When no team has the skills, skills are dropped rather than leaving the case unrouted; when
 * no team fits at all the case stays in the shared queue (no team), which every agent can take from.
 */
export function routeCase(teams: readonly RoutableTeam[], needs: RoutingNeeds): RoutingDecision | null {
  for (const withSkills of [true, false]) {
    let best: { team: RoutableTeam; score: number } | null = null;
    for (const team of teams) {
      const score = fits(team, needs, withSkills);
      if (score === null) continue;
      if (!best || score > best.score || (score === best.score && (team.name < best.team.name || (team.name === best.team.name && team.id < best.team.id)))) {
        best = { team, score };
      }
    }
    if (best) return { teamId: best.team.id, teamName: best.team.name };
  }
  return null;
}
