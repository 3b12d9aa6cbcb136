import { Injectable } from '@nestjs/common';
import { UsersRepository } from './users.repository';

/**
 * Membership-based roles (`sig:<slug>:lead`, `body:toc:member` …) are contributed by the features
 * that own the memberships; each registers a provider here. Site roles come from user_roles.
 */
export interface RoleProvider {
  rolesFor(userId: number): Promise<string[]>;
  /** Who holds `role` now, or `undefined` when the role is not one this provider grants. */
  holdersOf(role: string): Promise<number[] | undefined>;
}

@Injectable()
export class RoleResolver {
  private readonly providers: RoleProvider[] = [];

  constructor(private readonly users: UsersRepository) {}

  register(provider: RoleProvider): void {
    this.providers.push(provider);
  }

  async rolesFor(userId: number): Promise<string[]> {
    const lists = await Promise.all([this.users.siteRoles(userId), ...this.providers.map((p) => p.rolesFor(userId))]);
    return [...new Set(lists.flat())].sort();
  }

  /**
   * Everyone who holds `role` now: the provider that owns the role's namespace answers; a role no
   * provider claims is a site role. The inverse of `rolesFor`, so that a feature asking "who may
   * review" cannot forget a kind of role.
   */
  async holdersOf(role: string): Promise<number[]> {
    for (const provider of this.providers) {
      const ids = await provider.holdersOf(role);
      if (ids) return [...new Set(ids)].sort((a, b) => a - b);
    }
    return this.users.siteRoleHolders(role);
  }
}
