import { DataSource } from 'typeorm';
import { OrganisationEntity } from '../../modules/organisations/organisation.entity';
import { UserEntity } from '../../modules/users/user.entity';

/**
 * Demo council membership: one member organisation (represented by zhangwei, so the demo can
 * nominate) and one application waiting for a nomination (bob's). Adds what is missing only.
 */
export async function seedOrganisations(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    const repo = m.getRepository(OrganisationEntity);
    if (await repo.count()) return;
    const users = await m.getRepository(UserEntity).find({ where: [{ username: 'zhangwei' }, { username: 'bob' }] });
    const id = (name: string) => users.find((u) => u.username === name)?.id ?? null;
    const now = new Date();
    await repo.insert([
      {
        name: 'OpenCloudOS Demo Member Co.',
        website: 'https://member.example.org',
        description: 'A founding member organisation of the demo council: it builds and supports OpenCloudOS servers.',
        contactName: 'Zhang Wei',
        contactEmail: 'council@member.example.org',
        representativeId: id('zhangwei'),
        applicantId: id('zhangwei'),
        status: 'member',
        memberSince: now,
        decidedAt: now,
      },
      {
        name: 'Example Software Ltd.',
        website: 'https://software.example.com',
        description: 'We ship our database appliance on OpenCloudOS 9 and want to help steer the distribution.',
        contactName: 'Bob',
        contactEmail: 'bob@software.example.com',
        representativeId: id('bob'),
        applicantId: id('bob'),
        status: 'applied',
      },
    ]);
  });
}
