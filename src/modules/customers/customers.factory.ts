// Realistic companies and contacts, deterministic from a seed. The demo workspace, the tests
// and the benchmark generators all use these, so what a newcomer sees is what is tested.
import type { CreateCompany, CreateContact } from './customers.schemas.js';

export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32: small, fast, and the same sequence on every machine.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    integer: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (probability: number) => next() < probability,
  };
}
export type Random = ReturnType<typeof createRandom>;

export const latinFirstNames = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Tim', 'Barbara', 'Ken', 'Hedy', 'Dennis', 'Frances', 'John', 'Radia', 'Edsger', 'Sophie', 'Lucas', 'Amélie', 'Jürgen', 'Inès', 'Mateo', 'Olivia', 'Noah', 'Emma', 'Liam', 'Chloé', 'Søren'];
export const latinLastNames = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov', 'Thompson', 'Lamarr', 'Ritchie', 'Allen', 'Backus', 'Perlman', 'Dijkstra', 'Martin', 'Dubois', 'Müller', 'García', 'Rossi', 'Smith', 'Johnson', 'Brown', 'Nguyen', 'Kowalski', 'Jensen', "O'Brien"];
export const chineseSurnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
export const chineseGivenNames = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '小明', '建国', '晓燕', '志强', '海燕', '文博', '雨桐', '子涵'];
const latinCompanyStems = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Wonka', 'Soylent', 'Tyrell', 'Cyberdyne', 'Aperture', 'Nakatomi', 'Oscorp', 'Pied Piper', 'Massive Dynamic', 'Blue Sun', 'Monarch', 'Gringotts'];
const latinCompanySuffixes = ['Ltd', 'GmbH', 'Inc.', 'SA', 'BV', 'Group', 'Labs', 'Systems', 'Partners', 'Logistics'];
const chineseCompanyStems = ['华信', '东方', '长城', '天元', '星海', '金桥', '龙腾', '瑞丰', '嘉禾', '恒通'];
const chineseCompanySuffixes = ['科技有限公司', '贸易有限公司', '集团', '网络科技', '物流有限公司'];
const industries = ['Software', 'Manufacturing', 'Retail', 'Logistics', 'Finance', 'Healthcare', 'Education', 'Energy', 'Media', 'Consulting'];
// [city, country, phone prefix, length of a full E.164 number in characters]
type City = [string, string, string, number];
const latinCities: City[] = [['London', 'United Kingdom', '+44207946', 13], ['Berlin', 'Germany', '+493012', 13], ['Paris', 'France', '+3314268', 12], ['New York', 'United States', '+1212555', 12], ['San Francisco', 'United States', '+1415555', 12], ['Madrid', 'Spain', '+3491123', 12]];
const chineseCities: City[] = [['上海', '中国', '+862168', 13], ['北京', '中国', '+861065', 13], ['深圳', '中国', '+8675583', 14]];
const chineseMobilePrefix = '+86138';
const chineseMobileLength = 14;
const titles = ['CEO', 'CTO', 'Head of Sales', 'Account Manager', 'Procurement Lead', 'Operations Director', 'Marketing Manager', 'Engineer', '销售总监', '采购经理', '总经理'];

const asciiSlug = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');

/** A number libphonenumber accepts as valid: a real area prefix padded with random digits. */
function phoneFor(random: Random, prefix: string, length: number): string {
  let phone = prefix;
  while (phone.length < length) phone += String(random.integer(0, 9));
  return phone;
}

export function createCustomerFactory(seed = 1) {
  const random = createRandom(seed);
  let sequence = 0;

  function personName(chinese: boolean): string {
    return chinese
      ? random.pick(chineseSurnames) + random.pick(chineseGivenNames)
      : `${random.pick(latinFirstNames)} ${random.pick(latinLastNames)}`;
  }

  return {
    random,
    personName,

    company(overrides: Partial<CreateCompany> = {}): CreateCompany {
      sequence++;
      const chinese = random.chance(0.3);
      const [city, country, phonePrefix, phoneLength] = random.pick(chinese ? chineseCities : latinCities);
      const name = chinese
        ? `${random.pick(chineseCompanyStems)}${random.pick(chineseCompanySuffixes)}`
        : `${random.pick(latinCompanyStems)} ${random.pick(latinCompanySuffixes)}`;
      const domainStem = chinese ? `gongsi${sequence}` : `${asciiSlug(name)}${sequence}`;
      return {
        name: `${name}${sequence > 20 ? ` ${sequence}` : ''}`,
        website: `https://www.${domainStem}.${chinese ? 'cn' : 'com'}`,
        phone: phoneFor(random, phonePrefix, phoneLength),
        industry: random.pick(industries),
        city,
        country,
        ...overrides,
      };
    },

    contact(overrides: Partial<CreateContact> = {}): CreateContact {
      sequence++;
      const chinese = random.chance(0.3);
      const name = personName(chinese);
      const local = chinese ? `user${sequence}` : `${asciiSlug(name.split(' ')[0])}.${asciiSlug(name.split(' ')[1] ?? '')}${sequence}`;
      const [, , phonePrefix, phoneLength] = random.pick(chinese ? chineseCities : latinCities);
      return {
        name,
        email: `${local}@${chinese ? 'example.cn' : 'example.com'}`,
        phone: chinese && random.chance(0.5)
          ? phoneFor(random, chineseMobilePrefix, chineseMobileLength)
          : phoneFor(random, phonePrefix, phoneLength),
        title: random.pick(titles),
        ...overrides,
      };
    },
  };
}
